/* Target groups per colour, and a firewall module instance. */
resource "aws_lb_target_group" "ssh" {
  for_each = toset(["blue", "green"])

  name     = "app-${each.key}"
  port     = 22
  protocol = "TCP"
  vpc_id   = "vpc-0123456789abcdef0"
}

module "firewall" {
  source = "../firewall"
  count  = 1
}
