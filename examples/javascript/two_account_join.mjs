// Two accounts against `cleanrooms-mock serve`: the endpoint is the only change to real code.
import {
  CleanRoomsClient,
  CreateCollaborationCommand,
  CreateMembershipCommand,
  ListMembershipsCommand,
} from "@aws-sdk/client-cleanrooms";

const endpoint = process.env.CLEANROOMS_ENDPOINT ?? "http://127.0.0.1:4566";
const clientFor = (account) =>
  new CleanRoomsClient({
    region: "us-east-1",
    endpoint,
    // A 12-digit access key acts as that account (or use STS credentials from the same endpoint).
    credentials: { accessKeyId: account, secretAccessKey: "test" },
  });

const publisher = clientFor("111111111111");
const advertiser = clientFor("222222222222");

const { collaboration } = await publisher.send(
  new CreateCollaborationCommand({
    name: "ads measurement",
    description: "Publisher x advertiser overlap",
    creatorDisplayName: "Publisher",
    creatorMemberAbilities: ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
    members: [{ accountId: "222222222222", displayName: "Advertiser", memberAbilities: [] }],
    queryLogStatus: "ENABLED",
  }),
);
const { membership } = await advertiser.send(
  new CreateMembershipCommand({
    collaborationIdentifier: collaboration.id,
    queryLogStatus: "DISABLED",
  }),
);
const { membershipSummaries } = await advertiser.send(new ListMembershipsCommand({}));
console.log(`joined ${collaboration.id} as ${membership.arn}; ${membershipSummaries.length} membership(s)`);
