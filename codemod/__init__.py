"""genai2openai: migrate code from Google's Gemini SDKs (google.generativeai, google-genai) to the OpenAI SDK."""

from codemod.ftypes import FileResult, Finding, Kind, Migration, Options, Severity

__version__ = "0.1.0"

__all__ = ["Finding", "FileResult", "Kind", "Migration", "Options", "Severity", "__version__"]
