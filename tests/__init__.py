"""The test suite: a package, so that pytest imports its modules as tests.kiosk...,
tests.mpp... and never under the names of the packages they test (which they would
otherwise shadow in sys.modules)."""
