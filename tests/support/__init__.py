"""Helpers shared by the test suite and the proof (``proof/``): servers, browsers, region builders.

Nothing shipped in the ``workbench`` package imports this.
"""
