"""Attaching pictures to what members write, and letting their files go when nothing refers to them any more."""
