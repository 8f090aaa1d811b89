# The configuration behind plan.json: a root module, a local module that calls another local
# module, `count` and `for_each` instances, a `dynamic` block, and a registry module (remote:
# its resources keep the plan's lines). `guardrail check plan.json` finds this directory beside
# the plan and points each finding at the line below that causes it.

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_security_group" "admin" {
  name   = "admin"
  vpc_id = "vpc-0123456789abcdef0"

  ingress {
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "rdp from anywhere"
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [
      "0.0.0.0/0",
    ]
  }
}

resource "aws_lb_target_group" "db" {
  count    = 2
  name     = "db-${count.index}"
  port     = 5432
  protocol = "TCP"
  vpc_id   = "vpc-0123456789abcdef0"
}

module "app" {
  source = "./modules/app"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
}
