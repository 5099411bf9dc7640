"""The environment of a capture variant, set before anything imports OpenTelemetry (the GenAI
instrumentations read their semconv opt-in and content-capture settings once, at import).
Stdlib only, so that importing it reads nothing.
"""
import os
import sys

# the settings a variant may set; any left from the caller's shell are cleared first
GENAI_ENV = ("OTEL_SEMCONV_STABILITY_OPT_IN", "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT")


def select(variants, default):
    """Sets the environment of the variant named by the first argument (else `default`) and
    returns its name."""
    variant = sys.argv[1] if len(sys.argv) > 1 else default
    for k in GENAI_ENV:
        os.environ.pop(k, None)
    os.environ.update(variants[variant])
    return variant
