"""`mpp upgrade`: versioned release folders, backup and migration before the switch, health
check after, automatic return to the previous release."""

from mpp.upgrade.run import UpgradeOptions, upgrade
from mpp.upgrade.services import ROLE_UNITS, Services

__all__ = ["ROLE_UNITS", "Services", "UpgradeOptions", "upgrade"]
