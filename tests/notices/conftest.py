"""The enrollment tests' set-up (demo catalog, users, determined applications) for the notices."""

from tests.enrollment.conftest import alice, demo_catalog, mallory

__all__ = ["alice", "demo_catalog", "mallory"]
