aws eks create-access-entry --cluster-name prod \
  --principal-arn arn:aws:iam::111122223333:role/teams/tooling/devToolingOperator
aws eks associate-access-policy --cluster-name prod \
  --principal-arn arn:aws:iam::111122223333:role/teams/tooling/devToolingOperator \
  --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy \
  --access-scope type=cluster
