"""Operations: the CLI commands, demo data, the mail worker, keeping secrets out of logs."""
