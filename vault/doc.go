// Package vault reads and checks Vigil's detection knowledge base: a folder
// of markdown notes with YAML front matter that Obsidian can open.
//
// A note is classified by the tags in its front matter:
//
//   - techniques: an ATT&CK technique note ([Technique]), in the format of
//     the seed notes (front matter, a ## title, ### sections and ```query
//     blocks that list the rules and tests of the technique);
//   - detection_rule: a detection rule ([Rule]) whose EQL query is in a
//     ```eql block;
//   - atomic_test: an atomic test ([AtomicTest]) with its expected signals,
//     recorded telemetry and the rules that must fire or stay silent;
//   - benign: recorded normal activity ([Benign]) on which rules must stay
//     silent.
//
// Other notes are kept as plain notes. Tags compare case-insensitively, a
// leading # is optional, and in ATT&CK technique ids . and _ are the same
// (T1559.001, T1559_001 and t1559_001 are one tag).
//
// [ParseNote] keeps the bytes it was given: [Note.Render] gives them back
// unchanged, and renders edits to the front matter, sections and code
// blocks in place. [Load] reads a whole vault, collecting every problem with
// its file and line instead of stopping, and [Vault.Check] adds the checks
// that span notes: tags resolve, rules compile, referenced files exist.
//
// FORMAT.md, next to this file, specifies the note formats.
package vault
