package event

import "strings"

// commonKeys are the field-name components of ECS and of the Windows event
// data that rules and the Winlogbeat mapping use most: the keys of every
// field read by Elastic's EQL rules and of Elastic's golden ECS documents
// for Sysmon, Security and PowerShell.
const commonKeys = `
@timestamp AccessGranted AccessList AccessMask AccessMaskDescription AccessRemoved AccountDomain
AccountExpires AccountName AffectedItems AllowedToDelegateTo AttributeLDAPDisplayName
AttributeValue AuditPolicyChanges AuditPolicyChangesDescription AuditSourceName
AuthenticationPackageName BackupPath BlindCopyTo CallTrace CallerProcessId CallerProcessName
Category CategoryId Channel ClientAddress ClientInfo ClientName ClientProcessId CommandLine Company
ComputerAccountChange Configuration Consumer CountOfCredentialsReturned CrashOnAuditFailValue
CreationUtcTime Description DisplayName DnsHostName DomainBehaviorVersion DomainName
DomainPolicyChanged DomainSid Dummy Effective_process ElevatedToken EnabledPrivilegeList
EventSourceId EventType Ext ExtendedProperties FailureReason FileVersion Flags
ForwardAsAttachmentTo ForwardTo ForwardingAddress ForwardingSmtpAddress GrantedAccess
GroupTypeChange HandleId HomeDirectory HomePath Identity ImagePath ImpersonationLevel
IntegrityLevel IpAddress IpPort KerberosPolicyChange KeyLength LmPackageName LogonGuid LogonHours
LogonID LogonId LogonProcessName LogonType MachineAccountQuota MandatoryLabel MemberName MemberSid
MixedDomainMode NewSd NewSdDacl0 NewSdDacl1 NewSdDacl2 NewSdSacl0 NewSdSacl1 NewTargetUserName
NewUACList NewUacValue ObjectClass ObjectDN ObjectName ObjectServer ObjectType OemInformation OldSd
OldSdDacl0 OldSdDacl1 OldTargetUserName OldUacValue Operation OperationType PackageName Parameters
ParentProcessId PasswordHistoryLength PasswordLastSet Persistence PreAuthType
PreviousCreationUtcTime PrimaryGroupId PrivilegeList ProcessCreationTime ProcessId ProcessName
Product ProfilePath Properties PuaCount PuaPolicyId ReadOperation RedirectMessageTo RedirectTo
RedirectToRecipients RelativeTargetName RequestType Resource ResultStatusDetail ReturnCode
RpcCallClientLocality SamAccountName Schema SchemaFriendlyName SchemaVersion ScriptPath
SearchQueryText SearchString Service ServiceAccount ServiceFileName ServiceName
ServicePrincipalNames ServiceSid ServiceStartType ServiceType Session SessionName ShareName
SidFilteringEnabled SidHistory SidList SidListDesc Signature SignatureStatus Signed State Status
StatusDescription SubCategory SubStatus SubcategoryGuid SubcategoryId Subject SubjectDomainName
SubjectLogonId SubjectUserName SubjectUserSid TargetDomainName TargetImage TargetLogonGuid
TargetLogonId TargetName TargetProcessGUID TargetSid TargetUserName TargetUserSid TaskContent
TaskContentNew TaskName TdoAttributes TdoDirection TdoType TerminalSessionId TicketEncryptionType
TicketEncryptionTypeDescription TicketOptions TicketOptionsDescription TokenElevationType
TransmittedServices Type UserAccountControl UserParameters UserPrincipalName UserType
UserWorkstations Version Workstation a0 a1 a2 access_key_id account_state action activity_id
activitylogs actor additional_details addr address agent alert ancestry annotations answers api
app_display_name app_id appid application archived args args_count arn as audit auditd auditlogs
authentication authentication_protocol aws azure blocklist_label body bus_type capabilities
cassandra category cfgattr cfgpath changes channel claims class client cloudtrail code
code_signature command command_line community_id company computerObject computer_name consumer_type
container content copy_type correlation_id data data_stream dataset debug_context debug_data
description destination device device_detail device_id direction directory display_name dll dns
domain drive ecs effective effective_parent email engine entity_id entropy entry_leader entry_meta
env_vars error_code event event_data event_id event_type executable executable_version exists
exit_code extension extra factor failure family file file_version final firewall flow fortinet
fragment github google_workspace group group_leader groups hash header_bytes hive host hostname
hosts http id identifier identity identityprotection imphash incoming_token_type ingested
initiated_by integrity_level_name interactive invocation_details ip is_executable is_interactive
is_managed key keywords kibana kind kubernetes level load_module log logon md5 message method
modified_properties module mysql name namespace network network_traffic new_state new_value number
o365 objectRef observer okta opcode operation_name operation_type orchestrator origin_referrer_url
origin_url original original_file_name original_transfer_method os outcome owner_is_team_drive
packets parameters parent path pe permission permitted pgsql pid pipeline_id port powershell
prediction prediction_probability previous previous_state privileged problemchild process processor
product product_id properties protocol provider provider_guid provider_name query question real
real_group real_user reason recipient_account_id record_id redis registered_domain registry related
related_command relative_file_creation_time relative_file_name_modify_time request requestURI
request_parameters resolved_ip resource resource_display_name resource_id resources response result
result_signature risk_score rule rule_id runspace_id same_as_process script_block_hash
script_block_id script_block_text security_context sequence service session_credential_from_console
session_leader severity sha1 sha256 sign_in_session_status signal signing_id signinlogs size socket
source stage status status_code strings sub_status subdomain subject_name subresource syscall
sysmon tactic taint_flags target target_resources task tenant_id terminal thread threat
time_created title token token_protection_status_details top_level_domain total transport
trustAttribute trustDirection trustType trust_type trusted type ui url user userPrincipalName
user_agent user_data user_id user_identity user_principal_name user_type username valid value verb
version visibility windows winlog working_directory xml_name zone_identifier
`

// interned maps each common key to one canonical copy. Paths and field
// sets store these copies, and selectively decoded documents reuse them
// for their keys, so that comparing a document key with a path component
// usually finds the two strings at the same address and never reads the
// bytes. Read-only after package initialisation.
var interned = func() map[string]string {
	m := map[string]string{}
	for _, k := range strings.Fields(commonKeys) {
		m[k] = k
	}
	return m
}()

// intern returns the canonical copy of a common key, or s itself.
func intern(s string) string {
	if c, ok := interned[s]; ok {
		return c
	}
	return s
}
