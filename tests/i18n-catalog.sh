#!/bin/bash
# Proves that po/en.po translates every text marked for translation, in
# the C sources (po/POTFILES.in) as in the templates ({{_}}...{{/_}}), none
# of them fuzzy, that it holds no translation of a text no longer marked,
# and that its formats agree with the texts' (msgfmt -c).

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
cd "$FEIRA_SRCDIR" || exit 1

# The texts as xgettext finds them now, with those of the templates.
awk -f po/templates.awk html/templates/*.html >"$T/templates.pot"
ok "every {{_}} of the templates has its end on its line" test -s \
    "$T/templates.pot"
sed -e '/^#/d' -e '/^$/d' -e 's|^po/templates.pot$|'"$T"'/templates.pot|' \
    po/POTFILES.in >"$T/files"
ok "xgettext reads every file of po/POTFILES.in" xgettext --keyword=_ \
    --keyword=N_ --from-code=UTF-8 --files-from="$T/files" \
    -o "$T/now.pot"
ok "po/en.po translates every marked text, none fuzzy" \
    msgcmp -N po/en.po "$T/now.pot"
ok "po/en.po translates no text that is no longer marked" \
    msgcmp -N --use-untranslated "$T/now.pot" po/en.po
ok "po/en.po has no fuzzy or untranslated entry" test -z \
    "$(msgattrib --only-fuzzy po/en.po; msgattrib --untranslated po/en.po)"
ok "po/en.po's formats agree with the texts'" msgfmt -c -o /dev/null \
    po/en.po
N=$(msgattrib --no-wrap "$T/now.pot" | grep -c '^msgid "[^"]')
ok "the sources mark more than 150 texts ($N)" test "$N" -gt 150
