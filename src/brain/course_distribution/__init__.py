"""course_distribution: distributions, publishing, the public catalog and SEO course pages."""
