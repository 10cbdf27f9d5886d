"""`mpp provision`: broker accounts, ACL and per-box credentials from the site file."""

from mpp.provision.accounts import FOLLOWER_USER, SERVER_USER, Account, ProvisionError
from mpp.provision.run import Provisioned, provision

__all__ = ["FOLLOWER_USER", "SERVER_USER", "Account", "ProvisionError", "Provisioned",
           "provision"]
