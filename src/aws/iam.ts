/** Entry of dist/aws-iam.js: the instance roles and policies a pair's readiness is judged on. */
export { readInstanceRoles } from '../core/iam/instanceRoles';
