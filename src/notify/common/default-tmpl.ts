/**
 * Vigil's default notification templates in Go template syntax: Alertmanager's
 * template/default.tmpl, with the same names so a user's `{{ template "slack.default.title" . }}`
 * (or an override of `__subject`) means what it means there. Vigil's changes: the product is
 * Vigil, `__alertmanagerURL` points at the incident when there is one (else at Vigil's alerts),
 * and texts of channels without buttons end with the message's links. Email HTML and Slack
 * Block Kit come from Vigil functions (vigilEmailHTML, vigilSlackBlocks) that a user's own
 * define can replace like any other.
 *
 * default-templates.ts renders the same defaults natively; a test holds the two to the same
 * output for every name.
 */
export const DEFAULT_TMPL = `{{ define "__alertmanager" }}Vigil{{ end }}
{{ define "__alertmanagerURL" }}{{ if .IncidentURL }}{{ .IncidentURL }}{{ else }}{{ .ExternalURL }}/alerts?receiver={{ .Receiver | urlquery }}{{ end }}{{ end }}

{{ define "__subject" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .GroupLabels.SortedPairs.Values | join " " }} {{ if gt (len .CommonLabels) (len .GroupLabels) }}({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join " " }}{{ end }}){{ end }}{{ end }}
{{ define "__subject_short" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .GroupLabels.SortedPairs.Values | join " " }}{{ if gt (len .CommonLabels) (len .GroupLabels) }} ({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join " " }}{{ end }}){{ end }}{{ end }}
{{ define "__description" }}{{ end }}

{{ define "__text_alert_list" }}{{ range . }}Labels:
{{ range .Labels.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Annotations:
{{ range .Annotations.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Source: {{ .GeneratorURL }}
{{ end }}{{ end }}

{{ define "__text_alert_list_markdown" }}{{ range . }}
Labels:
{{ range .Labels.SortedPairs }}  - {{ .Name }} = {{ .Value }}
{{ end }}
Annotations:
{{ range .Annotations.SortedPairs }}  - {{ .Name }} = {{ .Value }}
{{ end }}
Source: {{ .GeneratorURL }}
{{ end }}
{{ end }}

{{ define "__vigil_links_text" }}{{ if .Links }}
{{ range .Links }}{{ .Text }}: {{ .URL }}
{{ end }}{{ end }}{{ end }}
{{ define "__vigil_links_markdown" }}{{ if .Links }}
{{ range $i, $l := .Links }}{{ if $i }} | {{ end }}[{{ $l.Text }}]({{ $l.URL }}){{ end }}
{{ end }}{{ end }}

{{ define "__vigil_alert_sections" }}{{ if gt (len .Alerts.Firing) 0 }}
Alerts Firing:
{{ template "__text_alert_list" .Alerts.Firing }}
{{ end }}
{{ if gt (len .Alerts.Resolved) 0 }}
Alerts Resolved:
{{ template "__text_alert_list" .Alerts.Resolved }}
{{ end }}{{ end }}
{{ define "__vigil_alert_sections_markdown" }}{{ if gt (len .Alerts.Firing) 0 }}
# Alerts Firing:
{{ template "__text_alert_list_markdown" .Alerts.Firing }}
{{ end }}
{{ if gt (len .Alerts.Resolved) 0 }}
# Alerts Resolved:
{{ template "__text_alert_list_markdown" .Alerts.Resolved }}
{{ end }}{{ end }}
{{ define "__vigil_summaries" }}{{ range .Alerts }}{{ if .Annotations.summary }}• {{ .Annotations.summary }}
{{ else if .Annotations.description }}• {{ .Annotations.description }}
{{ end }}{{ end }}{{ end }}

{{ define "slack.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "slack.default.fallback" }}{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}{{ end }}
{{ define "slack.default.callbackid" }}{{ end }}
{{ define "slack.default.pretext" }}{{ end }}
{{ define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "slack.default.iconemoji" }}{{ end }}
{{ define "slack.default.iconurl" }}{{ end }}
{{ define "slack.default.text" }}{{ template "__vigil_summaries" . }}{{ end }}
{{ define "slack.default.footer" }}{{ end }}
{{ define "slack.default.color" }}{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}{{ end }}
{{ define "slack.vigil.blocks" }}{{ vigilSlackBlocks }}{{ end }}

{{ define "pagerduty.default.description" }}{{ template "__subject" . }}{{ end }}
{{ define "pagerduty.default.client" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "pagerduty.default.clientURL" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "pagerduty.default.instances" }}{{ template "__text_alert_list" .Alerts }}{{ end }}

{{ define "opsgenie.default.message" }}{{ template "__subject" . }}{{ end }}
{{ define "opsgenie.default.description" }}{{ .CommonAnnotations.SortedPairs.Values | join " " }}
{{ if gt (len .Alerts.Firing) 0 -}}
Alerts Firing:
{{ template "__text_alert_list" .Alerts.Firing }}
{{- end }}
{{ if gt (len .Alerts.Resolved) 0 -}}
Alerts Resolved:
{{ template "__text_alert_list" .Alerts.Resolved }}
{{- end }}
{{- template "__vigil_links_text" . }}{{ end }}
{{ define "opsgenie.default.source" }}{{ template "__alertmanagerURL" . }}{{ end }}

{{ define "pushover.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "pushover.default.message" }}{{ .CommonAnnotations.SortedPairs.Values | join " " }}
{{ template "__vigil_alert_sections" . }}
{{ template "__vigil_links_text" . }}{{ end }}
{{ define "pushover.default.url" }}{{ template "__alertmanagerURL" . }}{{ end }}

{{ define "telegram.default.message" }}
{{ template "__vigil_alert_sections" . }}
{{ template "__vigil_links_text" . }}{{ end }}

{{ define "discord.default.content" }}{{ end }}
{{ define "discord.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "discord.default.message" }}
{{ template "__vigil_alert_sections" . }}
{{ template "__vigil_links_markdown" . }}{{ end }}

{{ define "webex.default.message" }}{{ .CommonAnnotations.SortedPairs.Values | join " " }}
{{ template "__vigil_alert_sections" . }}
{{ template "__vigil_links_markdown" . }}{{ end }}

{{ define "msteamsv2.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "msteamsv2.default.text" }}
{{ template "__vigil_alert_sections_markdown" . }}
{{ end }}

{{ define "mattermost.default.color" }}{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}{{ end }}
{{ define "mattermost.default.username" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "mattermost.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "mattermost.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "mattermost.default.fallback" }}{{ template "mattermost.default.title" . }} | {{ template "mattermost.default.titlelink" . }}{{ end }}
{{ define "mattermost.default.text" }}
{{ template "__vigil_alert_sections_markdown" . }}
{{ template "__vigil_links_markdown" . }}{{ end }}

{{ define "email.default.subject" }}{{ template "__subject" . }}{{ end }}
{{ define "email.default.html" }}{{ vigilEmailHTML }}{{ end }}
{{ define "email.default.text" }}{{ template "__subject" . }}

{{ template "__vigil_alert_sections" . }}
View in Vigil: {{ template "__alertmanagerURL" . }}
{{ template "__vigil_links_text" . }}{{ end }}

{{ define "ntfy.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "ntfy.default.message" }}{{ .CommonAnnotations.SortedPairs.Values | join " " }}
{{ template "__vigil_alert_sections" . }}
{{ end }}
{{ define "ntfy.default.priority" }}{{ if eq .Status "firing" }}{{ if eq .CommonLabels.severity "critical" }}urgent{{ else }}high{{ end }}{{ else }}default{{ end }}{{ end }}
{{ define "ntfy.default.tags" }}{{ if eq .Status "firing" }}rotating_light{{ else }}white_check_mark{{ end }}{{ end }}

{{ define "twilio.default.sms" }}{{ template "__subject_short" . }}{{ if .AckURL }}
Ack: {{ .AckURL }}{{ end }}{{ if .IncidentURL }}
{{ .IncidentURL }}{{ end }}{{ end }}
{{ define "twilio.default.voice" }}{{ $n := len .Alerts.Firing }}{{ $name := .GroupLabels.Values | join " " }}{{ if not $name }}{{ $name = "alerts" }}{{ end -}}
{{ if gt $n 0 }}This is Vigil. {{ $n }} alert{{ if gt $n 1 }}s are{{ else }} is{{ end }} firing for {{ $name }}. {{ .CommonAnnotations.summary }}
{{- else }}This is Vigil. The alerts for {{ $name }} have resolved.{{ end }}{{ end }}
`;
