"""Replies by e-mail: the signed Reply-To addresses, reading what comes back, and posting it as the member."""
