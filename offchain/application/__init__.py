"""The reference application in front of the operator's gateway: order books that match signed
limit orders into TRADEs, and the door for users' signed transfers and withdrawals."""
