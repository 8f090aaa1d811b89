# Helpers shared by the pack's policies. A package without a `deny` rule is a library, not a
# policy. They give Rego the reading rules of guardrail's native policies:
#
# - property paths read both spellings: keys compare without case, `_` and `-` (Pulumi's
#   `serverSideEncryptionConfiguration` finds Terraform's `server_side_encryption_configuration`),
#   and a list of one item (how Terraform spells a nested block) is looked through;
# - a value known only after apply (shown to policies as "(known after apply)") anywhere on a
#   path makes the path unknown, so policies can say "indeterminate" instead of guessing.
package platform_guardrails.lib

# How guardrail shows policies a value that is known only after apply.
unknown_value := "(known after apply)"

# ---------------------------------------------------------------------------------------------
# Property paths

# A key folded for comparison: lower case, without `_` and `-`.
fold(key) := lower(replace(replace(key, "_", ""), "-", ""))

# The keys of a dotted path: `a.b.c`; `a[0].b` and `a.0.b` index a list.
path_keys(path) := [path] if {
	not contains(path, ".")
	not contains(path, "[")
} else := [k | some k in split(replace(replace(path, "[", "."), "]", ""), "."); k != ""]

# The value of an object's key: the exact key first, then one that folds to the same name.
object_child(v, key) := v[key] if {
	is_object(v)
	key in object.keys(v)
} else := x if {
	is_object(v)
	matches := [c | some k, c in v; fold(k) == fold(key)]
	x := matches[0]
}

# One step along a path: an object's key, a list's index, or through a list of one item.
child(v, key) := x if {
	is_array(v)
	regex.match(`^[0-9]+$`, key)
	x := v[to_number(regex.replace(key, `^0+([0-9])`, "$1"))]
} else := x if {
	x := object_child(v, key)
} else := x if {
	is_array(v)
	count(v) == 1
	x := object_child(v[0], key)
}

# One step of a lookup from ["found", value]: ["found", child], ["unknown"] or ["missing"].
step(state, key) := ["unknown"] if {
	state[1] == unknown_value
} else := ["found", x] if {
	x := child(state[1], key)
} else := ["unknown"] if {
	# an unknown list of one item hides whatever the path wanted
	is_array(state[1])
	count(state[1]) == 1
	state[1][0] == unknown_value
} else := ["missing"]

# The step for the `i`th key, once the lookup has not ended.
step_at(state, keys, i) := step(state, keys[i]) if {
	state[0] == "found"
	i < count(keys)
} else := state

# Four steps: Rego has no recursion, so lookups are unrolled to a fixed depth.
steps4(state, keys, i) := s4 if {
	s1 := step_at(state, keys, i)
	s2 := step_at(s1, keys, i + 1)
	s3 := step_at(s2, keys, i + 2)
	s4 := step_at(s3, keys, i + 3)
}

# All the steps of a path of up to 16 keys (one key, the usual case, takes one step).
steps(state, keys) := step(state, keys[0]) if {
	count(keys) == 1
} else := steps4(state, keys, 0) if {
	count(keys) <= 4
} else := steps4(steps4(state, keys, 0), keys, 4) if {
	count(keys) <= 8
} else := steps4(steps4(steps4(steps4(state, keys, 0), keys, 4), keys, 8), keys, 12) if {
	count(keys) <= 16
}

# Follows a path of up to 16 keys from `obj`: ["found", value], ["unknown"] or ["missing"].
# A null value counts as missing, as in guardrail's native policies.
lookup(obj, path) := settle(steps(["found", obj], keys)) if {
	keys := path_keys(path)
	count(keys) <= 16
}

lookup(obj, path) := fail(sprintf("the property path `%s` is longer than 16 keys", [path])) if {
	count(path_keys(path)) > 16
}

settle(state) := ["unknown"] if {
	state[0] == "found"
	state[1] == unknown_value
} else := ["missing"] if {
	state[0] == "found"
	state[1] == null
} else := state

# The value at `path`, when it is known and not null.
value(obj, path) := v if {
	r := lookup(obj, path)
	r[0] == "found"
	v := r[1]
}

# Whether the path leads to a value that is known and not null.
has(obj, path) if lookup(obj, path)[0] == "found"

# Whether the path runs into a value known only after apply.
unknown(obj, path) if lookup(obj, path)[0] == "unknown"

# Whether the path leads nowhere (or to null).
missing(obj, path) if lookup(obj, path)[0] == "missing"

# The items of a list; any other value is one item.
items(v) := v if {
	is_array(v)
} else := [v]

# A camelCase path in the resource's own spelling: snake_case for Terraform.
spelled("terraform", camel) := strings.replace_n(
	{
		"A": "_a", "B": "_b", "C": "_c", "D": "_d", "E": "_e", "F": "_f", "G": "_g",
		"H": "_h", "I": "_i", "J": "_j", "K": "_k", "L": "_l", "M": "_m", "N": "_n",
		"O": "_o", "P": "_p", "Q": "_q", "R": "_r", "S": "_s", "T": "_t", "U": "_u",
		"V": "_v", "W": "_w", "X": "_x", "Y": "_y", "Z": "_z",
	},
	camel,
)

spelled("pulumi", camel) := camel

# A path segment for a map key: `.key` for a plain word, `["key"]` otherwise.
key_segment(key) := concat("", [".", key]) if {
	regex.match(`^[A-Za-z0-9_-]+$`, key)
} else := concat("", [`["`, key, `"]`])

# ---------------------------------------------------------------------------------------------
# Type globs: `*` any run of characters, `?` one character, everything else itself.

regex_meta := {".", "+", "(", ")", "|", "[", "]", "{", "}", "^", "$", "\\", "#", "&", "-", "~"}

glob_part("*") := ".*"

glob_part("?") := "."

glob_part(c) := concat("", ["\\", c]) if c in regex_meta

glob_part(c) := c if {
	not c in regex_meta
	not c in {"*", "?"}
}

glob_match(pattern, text) if {
	# The literal text before the first and after the last wildcard, checked first: cheap, and
	# most types fail there.
	literal := split(replace(pattern, "?", "*"), "*")
	startswith(text, literal[0])
	endswith(text, literal[count(literal) - 1])
	parts := [glob_part(c) | some c in split(pattern, "")]
	regex.match(concat("", ["^(?s:", concat("", parts), ")$"]), text)
}

# ---------------------------------------------------------------------------------------------
# Numbers and sizes

# Leading zeros removed, so `to_number` reads `007`.
digits(text) := regex.replace(text, `^0+([0-9])`, "$1")

# An integer: a whole JSON number, or a string of digits (as the native `as_i64` reads ports).
integer(v) := v if {
	is_number(v)
	v == floor(v)
} else := to_number(digits(trim_left(t, "+"))) if {
	is_string(v)
	t := trim_space(v)
	regex.match(`^\+?[0-9]+$`, t)
}

# Units of memory sizes: binary (powers of 1024), decimal (powers of 1000), and bytes. Lowercase
# `m` is not here on purpose: in Kubernetes it means thousandths, never what anyone meant.
size_units := {
	"": 1, "B": 1,
	"Ki": 1024, "KiB": 1024,
	"Mi": 1048576, "MiB": 1048576,
	"Gi": 1073741824, "GiB": 1073741824,
	"Ti": 1099511627776, "TiB": 1099511627776,
	"Pi": 1125899906842624, "PiB": 1125899906842624,
	"k": 1000, "K": 1000, "kB": 1000, "KB": 1000,
	"M": 1000000, "MB": 1000000,
	"G": 1000000000, "GB": 1000000000,
	"T": 1000000000000, "TB": 1000000000000,
	"P": 1000000000000000, "PB": 1000000000000000,
}

# A size in bytes: a non-negative number with an optional fraction, optional spaces and a unit.
# (OPA's `units.parse_bytes` reads `512m` as megabytes, refuses spaces and `B`, and accepts
# negative sizes, so the pack parses sizes itself, exactly as the native rule does.)
parse_size(text) := bytes if {
	parts := regex.find_all_string_submatch_n(`^[[:space:]]*([0-9]+(?:\.[0-9]+)?)[[:space:]]*([A-Za-z]*)[[:space:]]*$`, text, 1)
	count(parts) == 1
	factor := size_units[parts[0][2]]
	bytes := to_number(digits(parts[0][1])) * factor
}

# A memory value in bytes: JSON numbers are bytes, strings are parsed.
size_of(v) := v if {
	is_number(v)
	v >= 0
} else := parse_size(v) if {
	is_string(v)
}

# ---------------------------------------------------------------------------------------------
# Messages

# A value in a message: a string in backticks as it is, anything else as JSON in backticks.
show(v) := concat("", ["`", v, "`"]) if {
	is_string(v)
} else := concat("", ["`", json.marshal(v), "`"])

# The usual service on a well-known port.
services := {
	20: "ftp", 21: "ftp", 22: "ssh", 23: "telnet", 135: "msrpc", 139: "netbios", 445: "smb",
	1433: "mssql", 1521: "oracle", 2375: "docker", 2376: "docker", 3306: "mysql", 3389: "rdp",
	5432: "postgresql", 5900: "vnc", 5985: "winrm", 5986: "winrm", 6379: "redis",
	9200: "elasticsearch", 11211: "memcached", 27017: "mongodb",
}

# `22 (ssh)`, or the number alone.
port_label(port) := sprintf("%d (%s)", [port, services[port]]) if {
	services[port]
} else := sprintf("%d", [port])

# Stops the evaluation with an error that quotes `msg`. Rego has no `throw`; a builtin given an
# argument of the wrong type fails and quotes the argument, and guardrail reports the policy's
# outcome as an error, as the native rules do for a value or a configuration they cannot read.
fail(msg) := sum(msg)
