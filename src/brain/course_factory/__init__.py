"""course_factory: durable course generation, content generators, the course workflow."""
