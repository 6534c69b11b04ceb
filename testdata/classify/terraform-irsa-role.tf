data "aws_iam_policy_document" "payments_api_assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub"
      values   = ["system:serviceaccount:payments:payments-api"]
    }
  }
}

resource "aws_iam_role" "payments_api" {
  name               = "payments-api-irsa"
  assume_role_policy = data.aws_iam_policy_document.payments_api_assume.json
}

# Node launch template: IMDSv2 only
resource "aws_launch_template" "nodes" {
  name_prefix = "prod-nodes-"
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "optional"
    http_put_response_hop_limit = 2
  }
}
