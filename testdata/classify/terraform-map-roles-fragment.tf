map_roles = [
  {
    rolearn  = "arn:aws:iam::111122223333:role/ops"
    username = "ops:{{SessionName}}"
    groups   = ["ops"]
  },
]
