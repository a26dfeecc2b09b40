package ingest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/event"
)

// corpusDir finds ../shared/corpus next to the module root, or skips.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("module root not found")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(c); err != nil {
		t.Skipf("shared corpus not found at %s (it lives beside the checkout); skipping corpus tests", c)
	}
	return c
}

// check is one field expectation: the field equals want, or with
// contains, one element (or the string) contains want, case-insensitively.
type check struct {
	field    string
	want     string
	contains bool
}

func eq(field, want string) check  { return check{field, want, false} }
func has(field, want string) check { return check{field, want, true} }
func (c check) ok(doc event.Value) bool {
	v := doc.Get(event.MustPath(c.field))
	var vals []string
	if v.Kind() == event.KindArray {
		for i := 0; i < v.Len(); i++ {
			if s, ok := v.Index(i).Text(); ok {
				vals = append(vals, s)
			}
		}
	} else if s, ok := v.Text(); ok {
		vals = []string{s}
	}
	for _, s := range vals {
		if !c.contains && s == c.want {
			return true
		}
		if c.contains && strings.Contains(strings.ToLower(s), strings.ToLower(c.want)) {
			return true
		}
	}
	return false
}

// labelChecks encodes the key_events of the labels.json files ("what"
// each record shows) as ECS field expectations, by file and record id.
var labelChecks = map[string]map[uint64][]check{
	"LM_DCOM_MSHTA_LethalHTA_Sysmon_3_1.evtx": {
		17589: {eq("event.type", "start"), eq("process.name", "mshta.exe"), eq("process.args", "-Embedding"), eq("process.parent.name", "svchost.exe"), eq("process.parent.args", "DcomLaunch")},
		// "10.0.2.17:55683 -> 10.0.2.16:49168" is the direction of the
		// connection; Sysmon logs an accepted connection (Initiated=false)
		// with the local end as Source, and Winlogbeat keeps its fields.
		17590: {eq("event.category", "network"), eq("process.name", "mshta.exe"), eq("network.direction", "ingress"), eq("network.transport", "tcp"), eq("source.ip", "10.0.2.16"), eq("source.port", "49168"), eq("destination.ip", "10.0.2.17"), eq("destination.port", "55683")},
	},
	"LM_dcom_shwnd_shbrwnd_mmc20_failed_traces_system_10016.evtx": {
		4451: {eq("event.code", "10016"), eq("winlog.event_data.param2", "Remote"), eq("winlog.event_data.param3", "Launch"), has("winlog.event_data.param4", "{C08AFD90-"), eq("winlog.event_data.param9", "10.0.2.17")},
		4454: {has("winlog.event_data.param4", "{49B2791A-"), eq("winlog.event_data.param9", "10.0.2.17")},
	},
	"LM_impacket_docmexec_mmc_sysmon_01.evtx": {
		9832: {eq("process.name", "mmc.exe"), eq("process.args", "-Embedding"), eq("process.parent.name", "svchost.exe"), eq("process.parent.args", "DcomLaunch")},
		9833: {eq("process.name", "cmd.exe"), eq("process.parent.name", "mmc.exe")},
		9835: {eq("process.name", "mmc.exe"), eq("network.direction", "ingress"), eq("source.ip", "10.0.2.18"), eq("source.port", "49163"), eq("destination.ip", "10.0.2.19"), eq("destination.port", "33474")},
		9838: {eq("process.name", "cmd.exe"), eq("process.parent.name", "mmc.exe")},
		9839: {eq("process.name", "cmd.exe"), has("process.command_line", "whoami /all"), eq("process.parent.name", "mmc.exe")},
		9840: {eq("process.name", "whoami.exe")},
	},
	"LM_sysmon_3_DCOM_ShellBrowserWindow_ShellWindows.evtx": {
		17424: {eq("process.name", "explorer.exe"), eq("network.direction", "ingress"), eq("destination.ip", "10.0.2.17"), eq("destination.port", "58172"), eq("source.port", "49158")},
		17431: {eq("process.name", "explorer.exe"), eq("network.direction", "ingress")},
		17434: {eq("process.name", "explorer.exe"), eq("network.direction", "ingress")},
	},
	"LM_wmiexec_impacket_sysmon_whoami.evtx": {
		9826: {eq("process.name", "cmd.exe"), eq("process.parent.name", "WmiPrvSE.exe"), eq("process.parent.args", "-Embedding")},
		9828: {eq("process.name", "cmd.exe"), has("process.command_line", "whoami /all")},
		9829: {eq("process.name", "whoami.exe")},
	},
	"Sysmon_UACME_39.evtx": {
		5528: {eq("process.name", "mmc.exe"), has("process.args", "eventvwr.msc")},
		5531: {eq("process.name", "mmc.exe"), eq("event.action", "Image loaded"), has("file.path", "pe386.dll")},
		5532: {eq("process.name", "cmd.exe"), eq("process.parent.name", "mmc.exe")},
	},
	"Sysmon_UACME_41.evtx": {
		5536: {eq("process.name", "cmd.exe"), has("process.parent.name", "dllhost.exe"), eq("process.parent.args", "/Processid:{3E5FC7F9-9A51-4367-9063-A120244FBEC7}")},
	},
	"Sysmon_UACME_43.evtx": {
		5637: {eq("process.name", "cmd.exe"), has("process.parent.name", "dllhost.exe"), eq("process.parent.args", "/Processid:{D2E7041B-2927-42FB-8E9F-7CE93B6DC937}")},
	},
	"Sysmon_uacme_58.evtx": {
		143174: {eq("event.code", "13"), eq("registry.hive", "HKU"), eq("registry.value", "windir"), has("registry.path", `\Environment\windir`)},
		143188: {has("process.name", "clipup.exe"), has("process.parent.name", "dllhost.exe"), has("process.parent.args", "/Processid:{BD54C901-076B-434E-B6C7-17C531F4AB41}")},
		143189: {eq("process.name", "cmd.exe"), has("process.parent.name", "clipup.exe")},
	},
	"exec_sysmon_lobin_regsvr32_sct.evtx": {
		16792: {has("process.name", "regsvr32.exe"), has("process.args", "scrobj.dll"), has("process.command_line", "/i:http")},
		16793: {eq("process.name", "cmd.exe"), has("process.parent.name", "regsvr32.exe")},
		16794: {has("process.name", "regsvr32.exe"), eq("destination.ip", "104.20.208.21"), eq("destination.port", "80"), eq("network.direction", "egress")},
	},
	"maldoc_mshta_via_shellbrowserwind_rundll32.evtx": {
		556683: {eq("process.name", "WINWORD.EXE"), has("process.command_line", "stats.doc")},
		// 4663 is not among the events whose ProcessName the Security
		// pipeline maps to process.*, so it stays in event_data.
		340232: {eq("event.code", "4663"), has("winlog.event_data.ObjectName", `\CLSID\{c08afd90-`), has("winlog.event_data.ProcessName", "WINWORD.EXE")},
		556720: {eq("process.name", "mshta.exe"), has("process.executable", "SysWOW64"), eq("process.parent.name", "explorer.exe"), has("process.command_line", ".hta")},
		556863: {eq("process.name", "rundll32.exe"), has("process.args", "memViewData.jpg,PluginInit"), eq("process.parent.name", "mshta.exe")},
	},
	"persist_firefox_comhijack_sysmon_11_13_7_1.evtx": {
		371: {eq("event.code", "11"), has("file.path", `C:\ProgramData\`), eq("file.name", "demo.dll")},
		372: {eq("event.code", "13"), eq("registry.value", "(Default)"), has("registry.path", `\InprocServer32\(Default)`), has("registry.data.strings", "demo.dll")},
		380: {eq("process.name", "firefox.exe"), eq("file.name", "demo.dll")},
		381: {eq("process.name", "calc.exe"), eq("process.parent.name", "firefox.exe")},
	},
	"persist_turla_outlook_backdoor_comhijack.evtx": {
		445: {eq("registry.value", "{Default}"), has("registry.path", `\InProcServer32\{Default}`), has("registry.data.strings", "mapid.tlb")},
		447: {eq("registry.value", "ThreadingModel"), eq("registry.data.strings", "Apartment")},
		449: {has("registry.path", `\TreatAs\{Default}`), has("registry.data.strings", "{49CBB1C7-")},
	},
	"sideloading_uacbypass_rundll32_injection_c2.evtx": {
		417071: {eq("process.name", "test.exe"), has("process.parent.executable", `C:\Windows\SysWOW64\DllHost.exe`), eq("process.parent.args", "/Processid:{3E5FC7F9-9A51-4367-9063-A120244FBEC7}")},
		417079: {eq("process.name", "rundll32.exe"), eq("process.args_count", "1"), has("process.parent.name", "winword.exe")},
		417082: {eq("event.code", "8"), eq("event.action", "CreateRemoteThread"), has("winlog.event_data.TargetImage", "explorer.exe")},
	},
	"sysmon_1_13_11_cmstp_ini_uacbypass.evtx": {
		16038: {eq("process.name", "cmstp.exe"), eq("process.args", "/au")},
		16039: {eq("event.code", "13"), has("process.name", "dllhost.exe"), eq("registry.hive", "HKLM"), has("registry.key", `App Paths\cmmgr32.exe\ProfileInstallPath`), eq("registry.value", "ProfileInstallPath")},
		16040: {eq("process.name", "cmd.exe"), has("process.parent.name", "dllhost.exe"), eq("process.parent.args", "/Processid:{3E5FC7F9-9A51-4367-9063-A120244FBEC7}")},
	},
	"9b0f8a61-91b2-464f-aceb-0527e0a45020.evtx": {
		16447792: {eq("event.code", "13"), eq("process.name", "reg.exe"), eq("registry.hive", "HKU"), eq("registry.value", "(Default)"), has("registry.path", `\CLSID\{97D47D56-3777-49FB-8E8F-90D7E30E1A1E}\TreatAs\(Default)`), eq("registry.data.strings", "{00000001-0000-0000-0000-0000FEEDACDC}")},
	},
	"ID4103,4104-DCOMexec native via PowerShell.evtx": {
		8748532: {eq("event.code", "4104"), has("powershell.file.script_block_text", `GetTypeFromProgID("MMC20.Application.1","fs01")`), eq("event.category", "process")},
		8748531: {eq("event.code", "4103"), eq("event.module", "powershell")},
	},
	"ID4688,4674-DCOMexec process spawned.evtx": {
		471790: {eq("event.code", "4688"), eq("event.type", "start"), eq("process.name", "mmc.exe"), has("process.command_line", "mmc.exe -Embedding"), eq("process.parent.name", "svchost.exe")},
		471791: {eq("event.code", "4674"), eq("process.name", "mmc.exe")},
		471784: {eq("event.code", "4624"), eq("event.action", "logged-in")},
		471768: {eq("event.code", "4688")},
	},
}

type labelsFile struct {
	Files []struct {
		File      string `json:"file"`
		Events    int    `json:"events"`
		KeyEvents []struct {
			EventRecordID uint64 `json:"EventRecordID"`
			EventID       int    `json:"EventID"`
		} `json:"key_events"`
	} `json:"files"`
}

// TestCorpusLabels maps every sample listed in the corpus labels.json
// files and checks the expectations of its key events, and the links
// between events that sequence rules join on.
func TestCorpusLabels(t *testing.T) {
	corpus := corpusDir(t)
	labelPaths, _ := filepath.Glob(filepath.Join(corpus, "evtx", "*", "labels.json"))
	if len(labelPaths) == 0 {
		t.Fatal("no labels.json in the corpus")
	}
	checked := 0
	for _, lp := range labelPaths {
		data, err := os.ReadFile(lp)
		if err != nil {
			t.Fatal(err)
		}
		var lf labelsFile
		if err := json.Unmarshal(data, &lf); err != nil {
			t.Fatalf("%s: %v", lp, err)
		}
		for _, f := range lf.Files {
			t.Run(f.File, func(t *testing.T) {
				evs, st := readAll(t, []string{filepath.Join(filepath.Dir(lp), f.File)}, Options{})
				if len(evs) != f.Events || st.Skipped != 0 {
					t.Errorf("%d events (%d skipped), labels say %d: %v", len(evs), st.Skipped, f.Events, st.Problems)
				}
				byID := map[uint64]event.Value{}
				for _, e := range evs {
					text, _ := e.Doc.Get(event.MustPath("winlog.record_id")).Text()
					id, _ := strconv.ParseUint(text, 10, 64)
					byID[id] = e.Doc
					if e.Doc.GetString("host.os.type") != "windows" || e.Doc.GetString("host.id") == "" {
						t.Errorf("record %d lacks host.os.type/host.id", id)
					}
				}
				for _, k := range f.KeyEvents {
					doc, ok := byID[k.EventRecordID]
					if !ok {
						t.Errorf("key event %d not read", k.EventRecordID)
						continue
					}
					if got := doc.GetString("event.code"); got != strconv.Itoa(k.EventID) {
						t.Errorf("record %d: event.code %s, want %d", k.EventRecordID, got, k.EventID)
					}
					checks, ok := labelChecks[f.File][k.EventRecordID]
					if !ok {
						continue
					}
					for _, c := range checks {
						checked++
						if !c.ok(doc) {
							t.Errorf("record %d: %s = %s, want %q", k.EventRecordID, c.field, doc.Get(event.MustPath(c.field)), c.want)
						}
					}
				}
				switch f.File {
				case "LM_DCOM_MSHTA_LethalHTA_Sysmon_3_1.evtx":
					sameEntity(t, byID, 17589, "process.entity_id", 17590, "process.entity_id")
				case "LM_impacket_docmexec_mmc_sysmon_01.evtx":
					sameEntity(t, byID, 9832, "process.entity_id", 9835, "process.entity_id")
					for _, child := range []uint64{9833, 9838, 9839} {
						sameEntity(t, byID, 9832, "process.entity_id", child, "process.parent.entity_id")
					}
				case "maldoc_mshta_via_shellbrowserwind_rundll32.evtx":
					sameEntity(t, byID, 556720, "process.entity_id", 556863, "process.parent.entity_id")
				}
			})
		}
	}
	t.Logf("checked %d field expectations", checked)
}

func sameEntity(t *testing.T, byID map[uint64]event.Value, a uint64, fa string, b uint64, fb string) {
	t.Helper()
	va, vb := byID[a].GetString(fa), byID[b].GetString(fb)
	if va == "" || va != vb {
		t.Errorf("record %d %s = %q, record %d %s = %q: want the same entity", a, fa, va, b, fb, vb)
	}
}

// TestCorpusRecorded reads the recorded datasets: every EVTX sample and
// every OTRF Security-Datasets archive (NXLog JSON lines inside zip),
// checking the event counts of their SOURCE.md and the activity each
// one is described to contain.
func TestCorpusRecorded(t *testing.T) {
	corpus := corpusDir(t)
	rec := filepath.Join(corpus, "recorded")
	otrf := []struct {
		zip    string
		events int
		want   []check // one event must satisfy all
	}{
		{"empire_dcom_shellwindows_stager.zip", 32706, []check{eq("process.parent.name", "explorer.exe"), eq("process.name", "cmd.exe"), has("process.command_line", "powershell -noP -sta")}},
		{"covenant_dcom_executeexcel4macro_allowed.zip", 8121, []check{eq("process.name", "EXCEL.EXE"), eq("process.args", "-Embedding"), eq("process.args", "/automation")}},
		{"covenant_dcom_executeexcel4macro_blocked.zip", 1200, nil},
		{"covenant_dcom_registerxll.zip", 5504, []check{eq("process.name", "EXCEL.EXE")}},
		{"covenant_dcom_iertutil_dll_hijack.zip", 37814, nil},
		{"covenant_com_wsman_automation.zip", 811, []check{has("process.parent.name", "wmiprvse.exe"), eq("process.name", "whoami.exe"), has("host.name", "WORKSTATION6")}},
		{"schtask_create.zip", 1041, []check{has("process.name", "schtasks.exe"), eq("process.args", "/create")}},
		{"schtask_modification.zip", 2657, nil},
		{"empire_schtasks_creation_standard_user.zip", 1297, []check{has("process.name", "schtasks.exe"), has("process.command_line", "MordorSchtask")}},
	}
	for _, o := range otrf {
		t.Run(o.zip, func(t *testing.T) {
			evs, st := readAll(t, []string{filepath.Join(rec, "otrf-security-datasets", "host", o.zip)}, Options{})
			if len(evs) != o.events || st.Skipped != 0 {
				t.Errorf("%d events (%d skipped), SOURCE.md says %d: %v", len(evs), st.Skipped, o.events, st.Problems)
			}
			if len(o.want) == 0 {
				return
			}
			for _, e := range evs {
				all := true
				for _, c := range o.want {
					all = all && c.ok(e.Doc)
				}
				if all {
					return
				}
			}
			t.Errorf("no event with %v", o.want)
		})
	}
	samples, _ := filepath.Glob(filepath.Join(rec, "evtx-attack-samples", "*.evtx"))
	if len(samples) == 0 {
		t.Fatal("no recorded EVTX samples")
	}
	for _, s := range samples {
		evs, st := readAll(t, []string{s}, Options{})
		if len(evs) == 0 || st.Skipped != 0 {
			t.Errorf("%s: %d events, %d skipped: %v", filepath.Base(s), len(evs), st.Skipped, st.Problems)
		}
	}
}
