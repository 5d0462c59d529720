"""The payload contracts of every event type; importing this package fills `CATALOG`.

One module per producing module: `course` (course factory), `course_commerce` (payments and
distribution requests), `course_content` (course content), `distribution` (course distribution),
`integrations` (webhook endpoints and alerts).
"""

from brain.events.contracts import (
    course,
    course_commerce,
    course_content,
    distribution,
    integrations,
)

__all__ = ["course", "course_commerce", "course_content", "distribution", "integrations"]
