"""course_content: hierarchical course content, example versions and their deployments."""
