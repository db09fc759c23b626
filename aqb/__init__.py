"""AQB-Dashboard: parse, store, aggregate and present the Hessian AQB Zielvereinbarungen."""

__version__ = "0.1.0"
