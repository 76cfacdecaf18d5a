/** Entry of dist/aws-ssm.js: "Check keepalived & haproxy" through SSM Run Command. */
export { checkServices } from '../core/pairs/serviceCheck';
