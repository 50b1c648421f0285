"""The exchange's command line (``exchange``)."""
