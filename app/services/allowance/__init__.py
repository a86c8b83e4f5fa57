"""The monthly allowance (TPP): HR's rules per year, computation runs in batches, discipline
and sanctions it reads, and the reports and exports."""
