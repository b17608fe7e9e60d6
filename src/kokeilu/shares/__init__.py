"""How resources divide: the latest complete period, shares, and the largest remainder in whole steps."""
