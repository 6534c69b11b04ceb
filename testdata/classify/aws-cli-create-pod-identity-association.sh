$ aws eks create-pod-identity-association --cluster-name prod \
    --namespace payments --service-account payments-api \
    --role-arn arn:aws:iam::210987654321:role/payments-api

$ aws iam get-role --role-name payments-api --query Role.AssumeRolePolicyDocument
{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {
                "Federated": "arn:aws:iam::210987654321:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
            },
            "Action": "sts:AssumeRoleWithWebIdentity"
        }
    ]
}
