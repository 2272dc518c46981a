# Write the texts to translate of the HTML templates named on the command
# line, each {{_}}text{{/_}}, as a PO template that xgettext reads with
# the C sources (po/POTFILES.in lists po/templates.pot).  A text given in
# several places is written once, with every place.  Texts are one line.

function quote(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	gsub(/\t/, "\\t", s)
	return "\"" s "\""
}

{
	line = $0
	while ((i = index(line, "{{_}}")) > 0) {
		rest = substr(line, i + 5)
		j = index(rest, "{{/_}}")
		if (j == 0) {
			printf "%s:%d: {{_}} has no end on its line\n", \
			    FILENAME, FNR > "/dev/stderr"
			bad = 1
			break
		}
		text = substr(rest, 1, j - 1)
		if (!(text in where))
			order[++n] = text
		where[text] = where[text] " " FILENAME ":" FNR
		line = substr(rest, j + 6)
	}
}

END {
	print "msgid \"\""
	print "msgstr \"\""
	print "\"Content-Type: text/plain; charset=UTF-8\\n\""
	for (k = 1; k <= n; k++) {
		print ""
		print "#:" where[order[k]]
		print "msgid " quote(order[k])
		print "msgstr \"\""
	}
	exit bad
}
