"""Evaluates a Rego file's `data.main.deny` with OPA (the Go engine, through the
opa-golib-python-bindings wheel) over a JSON input file, and prints the violation count per rule.

The input file's bytes go to the Go library unparsed: OPA parses them itself, as `opa eval
--input` would.

usage: python opa_eval.py POLICY.rego INPUT.json
"""

import json
import sys
from collections import Counter

from opa_bindings import OpaEngine
from opa_bindings.engine import _cstr


def main() -> None:
    policy_path, input_path = sys.argv[1], sys.argv[2]
    with open(policy_path, encoding="utf-8") as f:
        policy = f.read()
    with open(input_path, "rb") as f:
        raw_input = f.read()
    engine = OpaEngine()
    engine.add_policy(policy_path, policy)
    engine._check_open()
    with engine._eval_lock:
        engine._eval_reset()
        rs = engine._eval_result(
            engine._call(engine._lib.OpaEvalQuery, _cstr("x := data.main.deny"), raw_input, 0, 0)
        )
    deny = rs[0]["bindings"]["x"] if rs else []
    counts = Counter(d["rule"] for d in deny)
    json.dump({"rules": dict(sorted(counts.items())), "violations": len(deny)}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
