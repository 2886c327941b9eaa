"""What `grove deploy` left on a moto server, read back with boto3, as one JSON line:

    python aws_state.py <endpoint_url> <function> <role> <alias> [api_name]

Credentials and region come from the environment the Rust test sets (AWS_ACCESS_KEY_ID, ...).
"""

import json
import sys
import urllib.parse

import boto3


def main(endpoint, function, role, alias, api_name=None):
    def client(name):
        return boto3.client(name, endpoint_url=endpoint, region_name="us-east-1")

    iam, lam = client("iam"), client("lambda")
    found = {}
    r = iam.get_role(RoleName=role)["Role"]
    doc = r["AssumeRolePolicyDocument"]
    if isinstance(doc, str):
        doc = json.loads(urllib.parse.unquote(doc))
    found["role"] = {"arn": r["Arn"], "trust": doc}
    found["attached"] = [
        p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    ]
    f = lam.get_function(FunctionName=function)
    c = f["Configuration"]
    found["function"] = {
        k: c.get(k)
        for k in ["Runtime", "Handler", "Timeout", "MemorySize", "CodeSha256", "PackageType",
                  "Architectures", "Role", "Environment"]
    }
    found["image_uri"] = f.get("Code", {}).get("ImageUri")
    found["versions"] = [
        v["Version"] for v in lam.list_versions_by_function(FunctionName=function)["Versions"]
    ]
    found["alias"] = lam.get_alias(FunctionName=function, Name=alias)
    found["alias"].pop("ResponseMetadata", None)
    url = lam.get_function_url_config(FunctionName=function, Qualifier=alias)
    found["url"] = {"AuthType": url["AuthType"], "FunctionUrl": url["FunctionUrl"]}
    try:
        policy = json.loads(lam.get_policy(FunctionName=function, Qualifier=alias)["Policy"])
        found["policy"] = policy["Statement"]
    except lam.exceptions.ResourceNotFoundException:
        found["policy"] = []
    if api_name:
        gw = client("apigatewayv2")
        apis = [a for a in gw.get_apis()["Items"] if a["Name"] == api_name]
        found["apis"] = []
        for api in apis:
            api_id = api["ApiId"]
            found["apis"].append({
                "id": api_id,
                "protocol": api["ProtocolType"],
                "routes": sorted(
                    [r["RouteKey"], r.get("Target")] for r in gw.get_routes(ApiId=api_id)["Items"]
                ),
                "integrations": [
                    {k: i.get(k) for k in ["IntegrationId", "IntegrationType", "IntegrationUri",
                                            "PayloadFormatVersion"]}
                    for i in gw.get_integrations(ApiId=api_id)["Items"]
                ],
                "stages": [s["StageName"] for s in gw.get_stages(ApiId=api_id)["Items"]],
            })
    return found


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:]), default=str))
