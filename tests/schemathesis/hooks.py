"""Schemathesis hooks for secondments.

One check is refined, not silenced: `positive_data_acceptance` fails when a
request that matches the schema is refused. The contract (SPEC.md) answers a
schema-valid request that breaks a *business rule* (a secondment too long,
a delegation reaching back before today) with `422 policy-violation` naming
the rule; JSON Schema cannot state such rules. This check accepts exactly
that answer and otherwise applies the built-in check unchanged, so a
schema that is looser than the server's field validation (`422 validation`)
still fails. CSV request bodies are the other thing JSON Schema cannot
describe: their rows are validated as `422 validation` with line numbers.
A wrong `current_password` of `POST /me/password` is such a rule (no schema
says which string is the password), and its wrong guesses count towards the
account's sign-in lockout, so after a few a schema-valid request is
`429 rate-limited`: accepted too (decision 0039).
"""

import json

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance


def _problem_type(response):
    try:
        return json.loads(response.content or b"{}").get("type")
    except ValueError:
        return None


@schemathesis.check
def positive_data_accepted_unless_a_rule_refuses(ctx, response, case):
    if response.status_code == 422:
        if _problem_type(response) == "/problems/policy-violation":
            return None
        if (case.media_type or "").startswith("text/csv"):
            return None
    if response.status_code == 429 and _problem_type(response) == "/problems/rate-limited":
        return None
    return positive_data_acceptance(ctx, response, case)
