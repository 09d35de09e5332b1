package coder

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCode codes arbitrary text: it must never panic and always return a
// well-formed, repeatable Coding.
func FuzzCode(f *testing.F) {
	seeds := []string{
		"",
		" ",
		"i want to die",
		"me social worker is boss",
		"I LOVE MY FOSTER CARERS ❤️❤️❤️",
		"soooooooooo happpppyyyy",
		"don't dont don’t do n't",
		"\xff\xfe\xfd invalid \xc3\x28 utf8 \xe2\x82",
		"a\x00b\x00c",
		"💔😭😭😭👍🏽👨‍👩‍👧‍👦",
		"أريد أن أموت",
		"هەست بە تەنیایی دەکەم",
		"Мне грустно",
		"tęsknię za mamą i bratem",
		"Dwi'n hapus iawn",
		"!!!...???,,,",
		"'''''",
		"*",
		"bully* social* worker*",
		"12345678901234567890",
		"y5 y6 £7 £20 24",
		strings.Repeat("a", 5000),
		strings.Repeat("sooo ", 2000),
		strings.Repeat("i want to die ", 400),
		strings.Repeat("ą", 4100),
		"my boyfriend is 99999999999999999999",
		"if i tell if i tell if i tell",
		"no no no no not not never nobody",
		":) :( <3 </3 :'( :D",
	}
	for _, s := range seeds {
		f.Add(s, "en")
	}
	f.Add("lubie szkole", "pl")
	f.Add("ysgol", "cy")
	f.Add("x", "")
	f.Add("x", "pt-BR")
	c, err := New(DefaultCodebook())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		got := c.Code(text, lang)
		checkCoding(t, c, text, got)
		for _, m := range got.Themes {
			for _, e := range m.Evidence {
				if !utf8.ValidString(e) {
					t.Errorf("evidence %q is not valid UTF-8", e)
				}
			}
		}
		if again := c.Code(text, lang); !reflect.DeepEqual(again, got) {
			t.Errorf("Code is not repeatable:\n%+v\n%+v", got, again)
		}
		if risk := Detect(text); !reflect.DeepEqual(risk, got.Risk) {
			t.Errorf("Detect = %+v, Code's risk = %+v", risk, got.Risk)
		}
	})
}
