#!/usr/bin/env bash
# The IBP guide's "External Scheduler Script" (seed 001), kept as close to the original as
# possible: same curl flags, same `?v=2` URL form, same token extraction (which keeps the
# header line's CR), same sed parsing of <d:JobName>. Only the host, credentials, the log and
# cookie paths and the polling interval are parameters, and the poll loop ends on any final status.
# Usage: seed_curl_flow.sh HOST:PORT USER PASSWORD TEMPLATE JOBTEXT JOBUSER WORKDIR
set -u
hostname=$1; username=$2; password=$3
job_template_name=$4; job_text=$5; job_user=$6; work=$7
enc=$(echo -n "$username:$password" | base64)
encauth="Authorization: Basic $enc"
site_url="https://$hostname/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT?v=2"
md_url="$site_url/\$metadata"
data="/?JobTemplateName='$job_template_name'&JobText='$job_text'&JobUser='$job_user'"
es_url="$site_url/JobSchedule$data"
stat_url="$site_url/JobStatusGet?"
cookie_path="$work/cookie.txt"

curl -k -c $cookie_path -b $cookie_path -H 'cache-control: no-cache' -H "x-csrf-token: fetch" -sI "$md_url" -H "$encauth" > $work/header.txt

while read p; do
    [[ "$p" =~ ^x-csrf-token.*$ ]] && token=$(echo $p | cut -f2 -d:)
done <$work/header.txt

post_response=$(curl -i -k -s -c $cookie_path -b $cookie_path -H 'cache-control: no-cache' \
-X POST --url "$es_url" -H "$encauth" -H "x-csrf-token: $token" )

job_name=$(echo $post_response | sed "s/.*<d:JobName>//g" | sed "s/<\/d:JobName>.*//g")
job_run_count=$(echo $post_response | sed "s/.*<d:JobRunCount>//g" | sed "s/<\/d:JobRunCount>.*//g")
echo "job_name=$job_name"
echo "job_run_count=$job_run_count"
if [ -z "$job_name" ] || [ ${#job_name} -ne 32 ]; then
    echo "Error when triggering Job: $post_response"
    exit 1
fi
stat_f_url=$(echo $stat_url"JobName='$job_name'&JobRunCount='$job_run_count'" )
n=0
while [ : ]
do
    stat_get_response=$(curl -k -s -c $cookie_path -b $cookie_path --url "$stat_f_url")
    job_stat=$(echo $stat_get_response | sed "s/.*<d:JobStatus>//g" | sed "s/<\/d:JobStatus>.*//g")
    if [ "$job_stat" = "F" ]; then echo "status=F"; exit 0; fi
    if [ "$job_stat" = "A" ]; then echo "status=A"; exit 3; fi
    n=$((n+1))
    sleep 0.1
    if [ "$n" -gt 300 ]; then echo "timeout, last: $stat_get_response"; exit 2; fi
done
