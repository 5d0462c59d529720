"""Content generators: what writes a course's outline, lessons, quiz and landing page.

- `TemplateGenerator` (`template.py`): offline and deterministic, German, English, French and
  Spanish, templates `banking_alternatives` and `custom`. The default.
- `LlmGenerator` (`llm.py`): any OpenAI-compatible chat-completions endpoint, output validated
  against the same models, with repair requests, retries, `Retry-After` and token usage.
- `build_generator(settings)` (`factory.py`): the LLM generator when `llm_base_url` is set,
  otherwise the template generator.

Both implement `brain.course_factory.content.ContentGenerator`.
"""

from brain.course_factory.generators.factory import build_generator
from brain.course_factory.generators.llm import LlmGenerator
from brain.course_factory.generators.template import TEMPLATE_IDS, TemplateGenerator

__all__ = ["TEMPLATE_IDS", "LlmGenerator", "TemplateGenerator", "build_generator"]
