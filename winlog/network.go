package winlog

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"net/netip"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// domainInfo is what Elasticsearch's registered_domain processor writes.
type domainInfo struct {
	registered, tld, sub string
}

// domainFields are the fields of the registered_domain processor under a
// prefix.
type domainFields struct {
	registered, tld, sub path
}

var dnsQuestion = domainFields{mkpath("dns.question.registered_domain"),
	mkpath("dns.question.top_level_domain"), mkpath("dns.question.subdomain")}

func (di domainInfo) apply(d *doc, f domainFields) {
	if di.registered != "" {
		d.setStr(f.registered, di.registered)
	}
	if di.tld != "" {
		d.setStr(f.tld, di.tld)
	}
	if di.sub != "" {
		d.setStr(f.sub, di.sub)
	}
}

// registeredDomain splits a host name with the public suffix list as
// Elasticsearch's registered_domain processor does (Apache HttpClient 5's
// PublicSuffixMatcher): for an ICANN suffix the registered domain is one
// label more than the suffix; for a private suffix (e.g.
// global.ssl.fastly.net) the private suffix itself is the registered
// domain; top_level_domain is what follows the registered domain's first
// label; a name under no known suffix gives nothing, and a name that is an
// ICANN suffix gives only top_level_domain.
func (d *doc) registeredDomain(name string) (domainInfo, bool) {
	fqdn := d.lower(name)
	if fqdn == "" || fqdn[0] == '.' || fqdn[len(fqdn)-1] == '.' || strings.Contains(fqdn, "..") {
		return domainInfo{}, false
	}
	suffix, icann := publicsuffix.PublicSuffix(fqdn)
	if !icann && strings.IndexByte(suffix, '.') < 0 {
		return domainInfo{}, false // only the implicit "*" rule matched
	}
	var registered string
	switch {
	case !icann:
		registered = suffix
	case suffix == fqdn:
		return domainInfo{tld: name}, true
	default:
		// publicsuffix.EffectiveTLDPlusOne(fqdn), whose checks fqdn has
		// passed, from the suffix already found.
		if len(fqdn) <= len(suffix) {
			return domainInfo{}, false
		}
		i := len(fqdn) - len(suffix) - 1
		if fqdn[i] != '.' {
			return domainInfo{}, false
		}
		registered = fqdn[1+strings.LastIndexByte(fqdn[:i], '.'):]
	}
	dot := strings.IndexByte(registered, '.')
	if dot < 0 || dot == len(registered)-1 {
		return domainInfo{}, false
	}
	di := domainInfo{registered: registered, tld: registered[dot+1:]}
	if i := strings.LastIndex(name, d.concat(".", registered)); i > 0 {
		di.sub = name[:i]
	}
	return di, true
}

// ianaNumbers maps network.transport names to IANA protocol numbers for
// the community ID.
var ianaNumbers = map[string]uint8{
	"icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "gre": 47, "ipv6-icmp": 58, "icmpv6": 58, "eigrp": 88,
	"ospf": 89, "pim": 103, "sctp": 132,
}

// communityID sets network.community_id (Community ID v1, seed 0) from
// source/destination ip and port and network.transport, as Elasticsearch's
// community_id processor does.
func (d *doc) communityID() {
	sip, ok1 := d.str(fSourceIP)
	dip, ok2 := d.str(fDestIP)
	transport, ok3 := d.str(fNetTransport)
	if !ok1 || !ok2 || !ok3 {
		return
	}
	proto, ok := ianaNumbers[d.lower(transport)]
	if !ok {
		return
	}
	src, err1 := netip.ParseAddr(sip)
	dst, err2 := netip.ParseAddr(dip)
	if err1 != nil || err2 != nil {
		return
	}
	src, dst = src.Unmap(), dst.Unmap()
	var sport, dport uint16
	hasPorts := proto == 6 || proto == 17 || proto == 132
	if hasPorts {
		sp, ok1 := d.intAt(d.get(fSourcePort))
		dp, ok2 := d.intAt(d.get(fDestPort))
		if !ok1 || !ok2 || sp < 0 || sp > 65535 || dp < 0 || dp > 65535 {
			return
		}
		sport, dport = uint16(sp), uint16(dp)
	}
	if src.Is4() != dst.Is4() {
		return
	}
	sb, db := src.As16(), dst.As16()
	n := 16
	if src.Is4() {
		n = 4
	}
	s, t := sb[16-n:], db[16-n:]
	// Order the endpoints so that both directions give the same ID.
	if c := compareBytes(s, t); c > 0 || (c == 0 && sport > dport) {
		s, t = t, s
		sport, dport = dport, sport
	}
	var store [2 + 16 + 16 + 2 + 4]byte
	buf := binary.BigEndian.AppendUint16(store[:0], 0)
	buf = append(buf, s...)
	buf = append(buf, t...)
	buf = append(buf, proto, 0)
	if hasPorts {
		buf = binary.BigEndian.AppendUint16(buf, sport)
		buf = binary.BigEndian.AppendUint16(buf, dport)
	}
	sum := sha1.Sum(buf)
	start := d.mark()
	d.sb.b = append(d.sb.b, "1:"...)
	d.sb.b = base64.StdEncoding.AppendEncode(d.sb.b, sum[:])
	d.setStr(fNetCommunityID, d.take(start))
}

func compareBytes(a, b []byte) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// dnsTypes are the DNS record type names for QueryResults "type: N".
var dnsTypes = map[string]string{
	"1": "A", "2": "NS", "3": "MD", "4": "MF", "5": "CNAME", "6": "SOA", "7": "MB", "8": "MG", "9": "MR",
	"10": "NULL", "11": "WKS", "12": "PTR", "13": "HINFO", "14": "MINFO", "15": "MX", "16": "TXT", "17": "RP",
	"18": "AFSDB", "19": "X25", "20": "ISDN", "21": "RT", "22": "NSAP", "23": "NSAPPTR", "24": "SIG",
	"25": "KEY", "26": "PX", "27": "GPOS", "28": "AAAA", "29": "LOC", "30": "NXT", "31": "EID",
	"32": "NIMLOC", "33": "SRV", "34": "ATMA", "35": "NAPTR", "36": "KX", "37": "CERT", "38": "A6",
	"39": "DNAME", "40": "SINK", "41": "OPT", "43": "DS", "46": "RRSIG", "47": "NSEC", "48": "DNSKEY",
	"49": "DHCID", "100": "UINFO", "101": "UID", "102": "GID", "103": "UNSPEC", "248": "ADDRS",
	"249": "TKEY", "250": "TSIG", "251": "IXFR", "252": "AXFR", "253": "MAILB", "254": "MAILA", "255": "ANY",
	"65281": "WINS", "65282": "WINSR",
}

// dnsStatus names Sysmon's QueryStatus codes (Win32 and DNS error codes).
// The pipeline's table is longer (DNS server management errors); codes
// missing here stay numeric.
var dnsStatus = map[string]string{
	"0": "SUCCESS", "5": "ERROR_ACCESS_DENIED", "8": "ERROR_NOT_ENOUGH_MEMORY", "13": "ERROR_INVALID_DATA",
	"14": "ERROR_OUTOFMEMORY", "123": "ERROR_INVALID_NAME", "1214": "ERROR_INVALID_NETNAME",
	"1223": "ERROR_CANCELLED", "1460": "ERROR_TIMEOUT", "4312": "ERROR_OBJECT_NOT_FOUND",
	"9001": "DNS_ERROR_RCODE_FORMAT_ERROR", "9002": "DNS_ERROR_RCODE_SERVER_FAILURE",
	"9003": "DNS_ERROR_RCODE_NAME_ERROR", "9004": "DNS_ERROR_RCODE_NOT_IMPLEMENTED",
	"9005": "DNS_ERROR_RCODE_REFUSED", "9006": "DNS_ERROR_RCODE_YXDOMAIN", "9007": "DNS_ERROR_RCODE_YXRRSET",
	"9008": "DNS_ERROR_RCODE_NXRRSET", "9009": "DNS_ERROR_RCODE_NOTAUTH", "9010": "DNS_ERROR_RCODE_NOTZONE",
	"9016": "DNS_ERROR_RCODE_BADSIG", "9017": "DNS_ERROR_RCODE_BADKEY", "9018": "DNS_ERROR_RCODE_BADTIME",
	"9501": "DNS_INFO_NO_RECORDS", "9502": "DNS_ERROR_BAD_PACKET", "9503": "DNS_ERROR_NO_PACKET",
	"9504": "DNS_ERROR_RCODE", "9505": "DNS_ERROR_UNSECURE_PACKET", "9506": "DNS_REQUEST_PENDING",
	"9551": "DNS_ERROR_INVALID_TYPE", "9552": "DNS_ERROR_INVALID_IP_ADDRESS",
	"9553": "DNS_ERROR_INVALID_PROPERTY", "9554": "DNS_ERROR_TRY_AGAIN_LATER", "9555": "DNS_ERROR_NOT_UNIQUE",
	"9556": "DNS_ERROR_NON_RFC_NAME", "9557": "DNS_STATUS_FQDN", "9558": "DNS_STATUS_DOTTED_NAME",
	"9559": "DNS_STATUS_SINGLE_PART_NAME", "9560": "DNS_ERROR_INVALID_NAME_CHAR",
	"9561": "DNS_ERROR_NUMERIC_NAME", "9701": "DNS_ERROR_RECORD_DOES_NOT_EXIST",
	"9702": "DNS_ERROR_RECORD_FORMAT", "9714": "DNS_ERROR_NAME_DOES_NOT_EXIST",
	"9751": "DNS_INFO_AXFR_COMPLETE", "9752": "DNS_ERROR_AXFR", "9801": "DNS_STATUS_CONTINUE_NEEDED",
	"9851": "DNS_ERROR_NO_TCPIP", "9852": "DNS_ERROR_NO_DNS_SERVERS", "10054": "WSAECONNRESET",
	"10055": "WSAENOBUFS", "10060": "WSAETIMEDOUT",
}
