# Helpers shared by the pack's policies. A package without a `deny` rule is a library, not a
# policy.
#
# Property paths are read by guardrail's built-in functions (docs/rego.md), with the reading
# rules of guardrail's native policies:
#
# - `guardrail.path(obj, "a.b[0].c")` and `guardrail.prop(obj, "key")` read both spellings: keys
#   compare without case, `_` and `-` (Pulumi's `serverSideEncryptionConfiguration` finds
#   Terraform's `server_side_encryption_configuration`), and a list of one item (how Terraform
#   spells a nested block) is looked through; they are undefined for a missing or null value and
#   for a value known only after apply;
# - `guardrail.unknown(obj, path)` says whether the path runs into a value known only after
#   apply, so policies can say "indeterminate" instead of guessing.
package platform_guardrails.lib

# How guardrail shows policies a value that is known only after apply.
unknown_value := "(known after apply)"

# ---------------------------------------------------------------------------------------------
# Property paths

# A key folded for comparison: lower case, without `_` and `-`.
fold(key) := lower(replace(replace(key, "_", ""), "-", ""))

# Follows a path from `obj`: ["found", value], ["unknown"] or ["missing"] (null counts as
# missing, as in guardrail's native policies).
lookup(obj, path) := ["found", v] if {
	v := guardrail.path(obj, path)
} else := ["unknown"] if {
	guardrail.unknown(obj, path)
} else := ["missing"]

# The value at `path`, when it is known and not null.
value(obj, path) := guardrail.path(obj, path)

# Whether the path leads to a value that is known and not null.
has(obj, path) if lookup(obj, path)[0] == "found"

# Whether the path runs into a value known only after apply.
unknown(obj, path) if guardrail.unknown(obj, path)

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
