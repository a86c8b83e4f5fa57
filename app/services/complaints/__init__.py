"""Technical complaints: filing, the thread and who may read it, the PIC desk, SLA targets, the
operations and task steps of the complaint diagram, and the report."""
