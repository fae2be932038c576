"""prompts: versioned Jinja2 templates (system prompts, answer templates, record templates)."""

from prompts.render import TemplateError, render, template_names, template_version

__all__ = ["TemplateError", "render", "template_names", "template_version"]
