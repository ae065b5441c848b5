export interface Config {
  /** Settings of this portal's own backend modules. */
  portal?: {
    /**
     * Groups (or users) whose members are platform admins: the portal's
     * permission policy grants them istio.mesh.admin. Default
     * group:default/platform-team.
     */
    platformAdmins?: string[];
  };
}
