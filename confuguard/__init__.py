"""confuguard: package-confusion detection across six registries."""

__version__ = "0.1.0"
