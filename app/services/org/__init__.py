"""The organisation and its people over time: placements (transfers) today, and the import and
administration of units, positions, employees and accounts to come. It acts on the cycle (a
transfer reaches the case), so it sits above the cycle area."""
