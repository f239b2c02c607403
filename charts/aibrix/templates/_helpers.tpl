{{/*
Names. fullname is the release name when it contains the chart name, else <release>-<chart>; 35 characters leave room
for the longest suffix within the 63 a Service or label allows.
*/}}
{{- define "aibrix.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "aibrix.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 35 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "aibrix.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 35 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 35 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Cluster-scoped objects (and bindings in other namespaces) carry the release namespace: two releases never clash. */}}
{{- define "aibrix.clusterName" -}}
{{- printf "%s-%s" .Release.Namespace (include "aibrix.fullname" .) -}}
{{- end -}}

{{- define "aibrix.gateway.name" -}}
{{- printf "%s-gateway-plugins" (include "aibrix.fullname" .) -}}
{{- end -}}

{{- define "aibrix.gateway.configName" -}}
{{- printf "%s-gateway-config" (include "aibrix.fullname" .) -}}
{{- end -}}

{{- define "aibrix.controllers.name" -}}
{{- printf "%s-controllers" (include "aibrix.fullname" .) -}}
{{- end -}}

{{- define "aibrix.redis.name" -}}
{{- printf "%s-redis" (include "aibrix.fullname" .) -}}
{{- end -}}

{{- define "aibrix.adminToken.secretName" -}}
{{- .Values.gateway.adminToken.existingSecret | default (printf "%s-admin-token" (include "aibrix.fullname" .)) -}}
{{- end -}}

{{/* Labels: every object gets these; selectors use aibrix.selectorLabels (dict "root" . "component" "gateway"). */}}
{{- define "aibrix.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "aibrix.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: aibrix
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "aibrix.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aibrix.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "aibrix.componentLabels" -}}
{{ include "aibrix.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* An image: (dict "root" . "image" .Values.gateway.image) -> registry/repository:tag, the tag defaulting to appVersion. */}}
{{- define "aibrix.image" -}}
{{- $tag := .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion | toString -}}
{{- if .root.Values.image.registry -}}
{{- printf "%s/%s:%s" (.root.Values.image.registry | trimSuffix "/") .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* host:port of Redis, or nothing (limits in memory). */}}
{{- define "aibrix.redis.address" -}}
{{- if .Values.redis.address -}}
{{- .Values.redis.address -}}
{{- else if .Values.redis.bundled.enabled -}}
{{- printf "%s.%s.svc:6379" (include "aibrix.redis.name" .) .Release.Namespace -}}
{{- end -}}
{{- end -}}

{{/* gateway.config.auth.mode, "none" when unset. */}}
{{- define "aibrix.authMode" -}}
{{- ((.Values.gateway.config | default dict).auth | default dict).mode | default "none" | toString -}}
{{- end -}}

{{/* "true" when Envoy Gateway's SecurityPolicy checks API keys (ext_authz), else nothing. */}}
{{- define "aibrix.extAuthz.enabled" -}}
{{- if and .Values.envoyGateway.enabled .Values.envoyGateway.extAuthz (eq (include "aibrix.authMode" .) "apikey") -}}
true
{{- end -}}
{{- end -}}

{{/*
The gateway's config file: gateway.config plus redis (from redis:) and, when ext_authz checks keys at the edge,
auth.enforceInExtProc: false (unless set), so a key is checked once per request.
*/}}
{{- define "aibrix.gateway.config" -}}
{{- $config := deepCopy (.Values.gateway.config | default dict) -}}
{{- $redis := include "aibrix.redis.address" . -}}
{{- if $redis -}}
{{- $_ := set $config "redis" $redis -}}
{{- end -}}
{{- if include "aibrix.extAuthz.enabled" . -}}
{{- $auth := $config.auth -}}
{{- if not (hasKey $auth "enforceInExtProc") -}}
{{- $_ := set $auth "enforceInExtProc" false -}}
{{- end -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}

{{/* Pod scheduling settings of a component: (dict "values" .Values.gateway). */}}
{{- define "aibrix.scheduling" -}}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end -}}

{{/*
Combinations that cannot work fail the install with a message saying what to change. Included by every template
that depends on them, so `helm template` with any one file still checks.
*/}}
{{- define "aibrix.validate" -}}
{{- $mode := .Values.gateway.mode -}}
{{- if not (or (eq $mode "extproc") (eq $mode "standalone")) -}}
{{- fail (printf "gateway.mode is %q: use extproc (behind Envoy) or standalone (the gateway proxies itself)" (toString $mode)) -}}
{{- end -}}
{{- if and .Values.redis.address .Values.redis.bundled.enabled -}}
{{- fail "redis.address and redis.bundled.enabled are both set: use an external Redis or the bundled one, not both" -}}
{{- end -}}
{{- if and .Values.redis.address (not (contains ":" (toString .Values.redis.address))) -}}
{{- fail (printf "redis.address %q is not host:port" (toString .Values.redis.address)) -}}
{{- end -}}
{{- if and (gt (int .Values.gateway.replicas) 1) (not (include "aibrix.redis.address" .)) -}}
{{- fail (printf "gateway.replicas is %d but users, API keys and limit counters would live in each replica's memory, so every replica would count on its own: set redis.address (host:port of your Redis) or redis.bundled.enabled=true, or gateway.replicas=1" (int .Values.gateway.replicas)) -}}
{{- end -}}
{{- $config := .Values.gateway.config | default dict -}}
{{- if hasKey $config "redis" -}}
{{- fail "gateway.config.redis is set: set Redis with redis.address (or redis.bundled.enabled) so the chart knows replicas share it" -}}
{{- end -}}
{{- if hasKey $config "endpoints" -}}
{{- fail "gateway.config.endpoints is set: in Kubernetes the gateway discovers model pods by label (model.aibrix.ai/name); remove endpoints" -}}
{{- end -}}
{{- if and .Values.envoyGateway.enabled (ne $mode "extproc") -}}
{{- fail "envoyGateway.enabled needs gateway.mode=extproc: Envoy Gateway calls the gateway over ext_proc" -}}
{{- end -}}
{{- end -}}

{{/*
Binds a ClusterRole to a ServiceAccount: cluster-wide when namespaces is empty, else a RoleBinding in each namespace
(the ClusterRole's rules then apply there only).
(dict "root" . "name" <ClusterRole> "serviceAccount" <name> "namespaces" <list> "component" <label>)
*/}}
{{- define "aibrix.bindings" -}}
{{- $root := .root -}}
{{- if .namespaces }}
{{- range .namespaces }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $.name }}
  namespace: {{ . }}
  labels:
    {{- include "aibrix.componentLabels" (dict "root" $root "component" $.component) | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ $.name }}
subjects:
  - kind: ServiceAccount
    name: {{ $.serviceAccount }}
    namespace: {{ $root.Release.Namespace }}
{{- end }}
{{- else }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ .name }}
  labels:
    {{- include "aibrix.componentLabels" (dict "root" $root "component" .component) | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ .name }}
subjects:
  - kind: ServiceAccount
    name: {{ .serviceAccount }}
    namespace: {{ $root.Release.Namespace }}
{{- end }}
{{- end -}}

{{/* Envoy Gateway object names; release "aibrix" gives the names of envoy/gateway. */}}
{{- define "aibrix.eg.gateway" -}}
{{- printf "%s-eg" (include "aibrix.fullname" .) -}}
{{- end -}}

{{- define "aibrix.eg.route" -}}
{{- printf "%s-llm-route" (include "aibrix.fullname" .) -}}
{{- end -}}

{{- define "aibrix.eg.listener" -}}
http
{{- end -}}
