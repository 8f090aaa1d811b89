//! Amazon Web Services rules.

pub mod ec2;
pub mod elb;
