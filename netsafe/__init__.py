"""netsafe: the DIC's reporting warehouse on online law violations and crime."""

__version__ = "0.1.0"
