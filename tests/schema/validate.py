#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Validates YAML files against a JSON Schema (draft-07), as an editor's YAML language server does.

    validate.py SCHEMA FILE...                   exit 0 when every file is valid, 1 otherwise
    validate.py --expect-invalid SCHEMA FILE...  exit 0 when every file is invalid, 1 otherwise

Each problem is printed as `file: path.to.field: message`. The schema itself is first checked
against its metaschema. YAML is read as YAML 1.2 reads it (the YAML language server's default, and
closer to Passerelle's loader than PyYAML's YAML 1.1): `yes`, `on`, `2026-07-14` stay texts, and a
key given twice is an error, as in Passerelle.

With --expect-invalid, a file may name where its error must be, in comment lines such as
`# expect-error: rules.0.severity` (`(top level)` for the root): then it must have an error at each
such field, so that a negative test cannot pass for an unintended reason (a typo elsewhere).

Exit 2 on a usage error, an unreadable file or an invalid schema.
"""

import argparse
import json
import re
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema's plain scalars, rejecting duplicate keys."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"'{key}' is given twice in this mapping", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+.0123456789")),
]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern), first)


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def field_path(error):
    path = ".".join(str(part) for part in error.absolute_path)
    return path or "(top level)"


def message(error):
    # The YAML language server's friendlier wording, when the schema gives one.
    if error.validator == "pattern" and "patternErrorMessage" in error.schema:
        return f"{error.instance!r}: {error.schema['patternErrorMessage']}"
    if "errorMessage" in error.schema:
        return str(error.schema["errorMessage"])
    return error.message


EXPECT_ERROR = re.compile(r"^#\s*expect-error:\s*(\S.*?)\s*$", re.MULTILINE)


def check_file(validator, path):
    """The problems of one file as printable lines (empty when it is valid), the fields where
    problems were found, and the fields its `# expect-error:` comments name."""
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except (OSError, UnicodeDecodeError) as e:
        print(f"{path}: cannot read: {e}", file=sys.stderr)
        sys.exit(2)
    expected = EXPECT_ERROR.findall(text)
    try:
        document = yaml.load(text, Loader=Yaml12Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        problem = getattr(e, "problem", None) or str(e)
        return [f"{path}: (yaml {where}): {problem}"], {"(yaml)"}, expected
    errors = sorted(validator.iter_errors(document),
                    key=lambda e: ([str(p) for p in e.absolute_path], e.message))
    lines = []
    for error in errors:
        # A failed anyOf/oneOf says little by itself: show the alternatives' own errors too.
        lines.append(f"{path}: {field_path(error)}: {message(error)}")
        for sub in sorted(error.context or [], key=lambda e: e.message):
            lines.append(f"{path}: {field_path(sub)}:   - {message(sub)}")
    return lines, {field_path(error) for error in errors}, expected


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--expect-invalid", action="store_true",
                        help="succeed only when every file is invalid (negative tests)")
    parser.add_argument("schema")
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args()

    try:
        with open(args.schema, encoding="utf-8") as stream:
            schema = json.load(stream)
    except (OSError, ValueError) as e:
        print(f"{args.schema}: cannot read the schema: {e}", file=sys.stderr)
        return 2
    validator_class = jsonschema.validators.validator_for(schema)
    try:
        validator_class.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print(f"{args.schema}: {field_path(e)}: not a valid schema: {e.message}", file=sys.stderr)
        return 2
    validator = validator_class(schema)

    failed = False
    for path in args.files:
        lines, fields, expected = check_file(validator, path)
        if args.expect_invalid:
            missing = [field for field in expected if field not in fields]
            if not lines:
                print(f"{path}: valid, but it should have been rejected")
                failed = True
            elif missing:
                print(f"{path}: invalid, but not at {', '.join(missing)} as its expect-error says:")
                failed = True
            else:
                print(f"ok (invalid, as expected) {path}")
            for line in lines:
                print(f"    {line}")
        else:
            if lines:
                print("\n".join(lines))
                failed = True
            else:
                print(f"ok {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
