// The lab image: a parameter, so that the same manifests run on podlab's cluster and on AKS (from ACR).

/** The lab image as podlab's cluster serves it: from its registry on loopback, so that nodes pull it as AKS nodes pull from ACR. */
const LOCAL_LAB_IMAGE = '127.0.0.1:5000/podlab-lab:1.0';

/** What `${LAB_IMAGE}` in a manifest becomes for `ctx.apply`: podlab's own LAB_IMAGE (an ACR path on AKS), else the local image. */
export const labImage = (env: NodeJS.ProcessEnv = process.env) => env.LAB_IMAGE || LOCAL_LAB_IMAGE;

/**
 * A pod runs the lab image: the configured one, or any `podlab-lab` image (the attendee's shell may name an
 * ACR path that podlab's own environment, in a grader, does not know).
 */
export const isLabImage = (image: string | undefined, env: NodeJS.ProcessEnv = process.env) =>
  image !== undefined && (image === labImage(env) || /(^|\/)podlab-lab(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/.test(image));

/**
 * The lab image a platform's attendees use when nothing names one: LAB_IMAGE, else on AKS the ACR image the
 * instructor built (`$ACR_NAME.azurecr.io/podlab-lab:1.0`, as labs/pod-sandboxing/01-setup.md says), else the local one.
 */
export const platformLabImage = (platform: string | undefined, env: NodeJS.ProcessEnv = process.env) =>
  env.LAB_IMAGE || (platform === 'aks' && env.ACR_NAME ? `${env.ACR_NAME}.azurecr.io/podlab-lab:1.0` : LOCAL_LAB_IMAGE);
