resource "aws_eks_access_entry" "developers" {
  cluster_name      = aws_eks_cluster.prod.name
  principal_arn     = "arn:aws:iam::210987654321:role/developer"
  kubernetes_groups = ["system:masters"]
  type              = "STANDARD"
}

resource "aws_eks_access_policy_association" "developers_view" {
  cluster_name  = aws_eks_cluster.prod.name
  principal_arn = aws_eks_access_entry.developers.principal_arn
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"

  access_scope {
    type       = "namespace"
    namespaces = ["payments"]
  }
}
