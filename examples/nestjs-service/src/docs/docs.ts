/** The documentation the service answers from: a handful of help-centre articles of a fictional product. */
export interface Doc {
  id: string;
  title: string;
  text: string;
}

export const DOCS: readonly Doc[] = [
  {
    id: 'refunds',
    title: 'Refunds',
    text: 'Annual plans can be refunded in full within 30 days of purchase. Monthly plans are not refunded, but you can cancel at any time.',
  },
  {
    id: 'cancel',
    title: 'Cancelling a subscription',
    text: 'To cancel, open Settings, then Billing, and choose Cancel plan. Your workspace stays active until the end of the paid period.',
  },
  {
    id: 'export',
    title: 'Exporting data',
    text: 'Workspace owners can export every project as CSV or JSON from Settings, then Data export. Exports are emailed within an hour.',
  },
  {
    id: 'sso',
    title: 'Single sign-on',
    text: 'SAML single sign-on is available on the Business plan. It works with Okta, Azure AD and Google Workspace.',
  },
  {
    id: 'seats',
    title: 'Adding seats',
    text: 'Admins add seats from Settings, then Members. New seats are billed pro rata for the rest of the billing period.',
  },
  {
    id: 'uptime',
    title: 'Service status',
    text: 'Current uptime and incidents are published on the status page. The service level target is 99.9% monthly uptime.',
  },
];
