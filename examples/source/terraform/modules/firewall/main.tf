resource "aws_security_group" "this" {
  for_each = { rdp = 3389 }

  name   = "firewall-${each.key}"
  vpc_id = "vpc-0123456789abcdef0"

  dynamic "ingress" {
    for_each = [each.value]
    content {
      description = "${each.key} from anywhere"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
