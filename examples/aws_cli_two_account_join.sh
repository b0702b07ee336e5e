#!/usr/bin/env bash
# The AWS CLI against `cleanrooms-mock serve`: a publisher (account 111111111111) creates a
# collaboration and invites an advertiser (222222222222), who joins from its own account.
# Start the server first (`cleanrooms-mock serve`); the AWS CLI comes with `pip install awscli`.
set -euo pipefail
endpoint="${CLEANROOMS_ENDPOINT:-http://127.0.0.1:4566}"
export AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
aws="${AWS_CLI:-aws}"

# A 12-digit access key acts as that account (credentials from `aws sts assume-role` against the
# same endpoint work too).
collaboration=$(AWS_ACCESS_KEY_ID=111111111111 "$aws" cleanrooms create-collaboration \
  --endpoint-url "$endpoint" \
  --name "ads measurement" --description "Publisher x advertiser overlap" \
  --creator-display-name Publisher --creator-member-abilities CAN_QUERY CAN_RECEIVE_RESULTS \
  --members 'accountId=222222222222,displayName=Advertiser,memberAbilities=[]' \
  --query-log-status ENABLED --query collaboration.id --output text)
echo "1. 111111111111 created collaboration $collaboration"

membership=$(AWS_ACCESS_KEY_ID=222222222222 "$aws" cleanrooms create-membership \
  --endpoint-url "$endpoint" --collaboration-identifier "$collaboration" \
  --query-log-status DISABLED --query membership.arn --output text)
echo "2. 222222222222 joined: $membership"

AWS_ACCESS_KEY_ID=222222222222 "$aws" cleanrooms list-memberships --endpoint-url "$endpoint" \
  --query 'membershipSummaries[].[collaborationName,status]' --output text | sed 's/^/3. listed: /'
